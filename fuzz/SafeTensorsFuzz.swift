// libFuzzer target for the safetensors reader. Built by fuzz/run.sh together with
// Sources/SmileNN/Tensor.swift and Sources/SmileNN/SafeTensors*.swift (not through SwiftPM:
// an executable target cannot be linked with -sanitize=fuzzer).
//
// Checks, beyond "never crashes": whatever decodes must re-encode, and the re-encoding must decode
// to the same tensors and metadata (the writer's output is always acceptable to the reader).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let decoded = try? SafeTensors.decode(bytes, source: "<fuzz>") else { return 0 }
    let reencoded = decoded.encoded()
    guard let again = try? SafeTensors.decode(reencoded, source: "<fuzz re-encoded>") else {
        fatalError("re-encoded file does not decode")
    }
    guard again.tensors == decoded.tensors, again.metadata == decoded.metadata else {
        fatalError("round trip changed the content")
    }
    guard again.encoded() == reencoded else { fatalError("encoding is not deterministic") }
    return 0
}
