import CMallocTuning

/// How the process keeps memory between photos.
public enum ProcessMemory {
    /// Blocks up to this size are kept for reuse once freed: a 28 MP RGB photo and its copies.
    public static let keptBlockLimit = 256 << 20

    /// Keeps freed buffers in the process for the next photo instead of giving them back to the kernel.
    ///
    /// glibc serves blocks above 32 MB (a 12 MP RGB photo is 36 MB) with fresh mmaps, returns the
    /// heap's free top to the kernel, and gives each thread its own arena: so each photo's decoded
    /// pixels, gray copy and annotated copy were fresh pages, faulted in and zeroed by the kernel.
    /// On 12 MP photos that was about a fifth of `annotate`'s time (1.2 s of system time for 8
    /// photos, 0.3 s with this). The price: the process keeps up to its peak use until it ends.
    /// Call it first thing, before other threads start. Returns whether malloc took the settings.
    @discardableResult
    public static func keepFreedBuffers() -> Bool {
        smile_keep_freed_memory(keptBlockLimit) == 1
    }
}
