import ArgumentParser
import SmileCommandLine
import Foundation
import SmileKit
import SmileNN

/// `smile import-keras`: Keras VGG-19 HDF5 weights to a safetensors file.
struct ImportKerasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-keras",
        abstract: "Convert Keras VGG-19 weights (HDF5) to safetensors, for use as a transfer base.",
        discussion: """
        Kernels are converted from Keras's HWIO order to this project's [out, in, kh, kw].

        Example:
          smile import-keras vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 --out vgg19-imagenet.safetensors
        """
    )

    @Argument(help: ArgumentHelp("Keras .h5 weights file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The safetensors file to write.", valueName: "file"))
    var out: String

    func run() throws {
        let tensors = try KerasHDF5Importer.importWeights(from: file)
        try SafeTensors(tensors: tensors, metadata: ["source": file, "converted_by": "smile import-keras", "layout": "conv [out, in, kh, kw]; dense [out, in]"])
            .write(to: URL(fileURLWithPath: out))
        print("\(tensors.count) tensors, \(tensors.values.reduce(0) { $0 + $1.count }) weights -> \(out)")
    }
}
