/// FNV-1a (64-bit) of `text`'s UTF-8 bytes: the same number on every machine and run, unlike
/// Swift's `Hasher`, which is seeded per process. Splits and shards are decided by it.
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
