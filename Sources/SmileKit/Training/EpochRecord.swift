/// The figures of one training epoch, as printed and written to the curves CSV.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var learningRate: Float
    public var loss: Float
    public var accuracy: Float
    public var validationLoss: Float
    public var validationAccuracy: Float
    public var imagesPerSecond: Double
    public var seconds: Double

    /// The one-line progress report printed after each epoch.
    public var line: String {
        String(format: "epoch %3d  lr %.2e  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.0f img/s  %.0f s",
               epoch, learningRate, loss, accuracy, validationLoss, validationAccuracy, imagesPerSecond, seconds)
    }

    /// Header of the curves CSV.
    public static let csvHeader = "epoch,learning_rate,loss,accuracy,val_loss,val_accuracy,images_per_second,seconds\n"

    /// This record as a curves CSV row.
    public var csvRow: String {
        "\(epoch),\(learningRate),\(loss),\(accuracy),\(validationLoss),\(validationAccuracy),\(String(format: "%.1f", imagesPerSecond)),\(String(format: "%.1f", seconds))\n"
    }
}
