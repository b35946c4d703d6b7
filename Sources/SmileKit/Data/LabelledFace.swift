/// One labelled training or test image of a data set, before it is framed into a crop: whole heads
/// by the detector, tight crops by their set's measured `RelativeBox`. (`LabelledImage` is its
/// counterpart in `smile eval`, where a photo may hold several faces, each with its `Rect`.)
public struct LabelledFace: Sendable, Equatable {
    /// How the image frames the face.
    public enum Framing: String, Sendable, Equatable {
        /// A whole head with background (GENKI, muxspace, CelebA): the detector finds the face.
        case wholeHead
        /// Already a tight face crop (SMILEsmileD, CK+ 48x48): framed by the measured box of its set.
        case tightCrop
    }

    /// The image file.
    public var path: String
    /// 1 = smiling, 0 = not.
    public var label: Int
    /// How the image frames the face.
    public var framing: Framing
    /// The data set it came from, e.g. "genki4k".
    public var dataset: String
    /// What must stay on one side of a split (a subject id for CK+, the file otherwise).
    public var group: String

    public init(path: String, label: Int, framing: Framing, dataset: String, group: String) {
        self.path = path
        self.label = label
        self.framing = framing
        self.dataset = dataset
        self.group = group
    }
}
