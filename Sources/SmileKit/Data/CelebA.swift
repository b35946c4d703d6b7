import Foundation

/// CelebA as distributed on Kaggle: `list_attr_celeba.csv`, `list_eval_partition.csv`, `img_align_celeba/`.
public enum CelebA {
    /// The study's balanced subset: equal smiling and non-smiling images from each recommended partition.
    public struct Subset: Sendable {
        public var train: [LabelledFace]
        public var validation: [LabelledFace]
        public var test: [LabelledFace]
    }

    /// Per-class counts of the study's subset: 10,000 train / 2,500 validation / 2,500 test, half of each smiling.
    public static let studyCounts = (train: 5_000, validation: 1_250, test: 1_250)

    /// Every image with its `Smiling` label and recommended partition (0 train, 1 validation, 2 test).
    public static func load(_ root: String) throws -> [(face: LabelledFace, partition: Int)] {
        let attributes = (root as NSString).appendingPathComponent("list_attr_celeba.csv")
        let partitions = (root as NSString).appendingPathComponent("list_eval_partition.csv")
        var partitionOf: [String: Int] = [:]
        for (index, row) in try DataSets.readTable(partitions, required: ["image_id", "partition"]).enumerated() {
            guard let partition = Int(row["partition"]!), (0...2).contains(partition) else {
                throw DataSets.LoadError(path: partitions, reason: "row \(index + 1): partition '\(row["partition"]!)' is not 0, 1 or 2")
            }
            partitionOf[row["image_id"]!] = partition
        }
        let images = (root as NSString).appendingPathComponent("img_align_celeba")
        return try DataSets.readTable(attributes, required: ["image_id", "Smiling"]).enumerated().map { index, row in
            let id = row["image_id"]!
            guard let value = row["Smiling"], value == "1" || value == "-1" else {
                throw DataSets.LoadError(path: attributes, reason: "row \(index + 1): Smiling '\(row["Smiling"] ?? "")' is not 1 or -1")
            }
            guard let partition = partitionOf[id] else {
                throw DataSets.LoadError(path: partitions, reason: "no partition for \(id)")
            }
            let face = LabelledFace(path: (images as NSString).appendingPathComponent(id), label: value == "1" ? 1 : 0,
                                    framing: .wholeHead, dataset: "celeba", group: id)
            return (face, partition)
        }
    }

    /// The balanced subset: the first `perClass` smiling and non-smiling images (file order) of each partition.
    public static func balancedSubset(_ root: String, perClass: (train: Int, validation: Int, test: Int) = studyCounts) throws -> Subset {
        let all = try load(root)
        func take(_ partition: Int, _ count: Int) throws -> [LabelledFace] {
            let inPartition = all.filter { $0.partition == partition }.map(\.face)
            let smiling = inPartition.filter { $0.label == 1 }.prefix(count)
            let other = inPartition.filter { $0.label == 0 }.prefix(count)
            guard smiling.count == count, other.count == count else {
                throw DataSets.LoadError(path: root, reason: "partition \(partition) has \(smiling.count) smiling and \(other.count) other images, \(count) of each needed")
            }
            return Array(smiling) + Array(other)
        }
        return Subset(train: try take(0, perClass.train), validation: try take(1, perClass.validation), test: try take(2, perClass.test))
    }
}
