import SmileNN
import SmileVision
