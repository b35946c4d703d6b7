import CCVShim

/// Sets how many threads OpenCV's own parallel loops may use (detection runs its pyramid scales in
/// parallel by default, on every core).
public func setOpenCVThreadCount(_ n: Int) {
    precondition(n >= 1, "thread count must be at least 1")
    cvs_set_num_threads(Int32(n))
}
