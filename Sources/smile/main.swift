print("smile")
