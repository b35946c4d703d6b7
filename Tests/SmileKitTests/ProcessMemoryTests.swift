import Foundation
import XCTest
@testable import SmileKit

/// Freed photo-sized buffers are kept for the next photo: using one again costs no page faults.
final class ProcessMemoryTests: XCTestCase {
    /// Page faults this process has taken that needed no disk read.
    private func minorFaults() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_minflt
    }

    /// Minor faults while a buffer of `bytes` is allocated, written throughout and freed.
    private func faultsForFreshBuffer(_ bytes: Int) -> Int {
        let before = minorFaults()
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        memset(buffer, 1, bytes)
        buffer.deallocate()
        return minorFaults() - before
    }

    func testAFreedPhotoBufferIsReusedWithoutPageFaults() throws {
        #if !canImport(Glibc)
        throw XCTSkip("malloc is not glibc's here")
        #else
        // A sanitizer's allocator replaces glibc's and ignores its settings (dlsym(nil): RTLD_DEFAULT on glibc).
        for runtime in ["__asan_init", "__tsan_init"] where dlsym(nil, runtime) != nil {
            throw XCTSkip("\(runtime): a sanitizer's allocator stands in for glibc's")
        }
        XCTAssertTrue(ProcessMemory.keepFreedBuffers())
        let bytes = 48 << 20  // a 16 MP RGB photo: above glibc's 32 MB mmap threshold
        let pages = bytes / Int(getpagesize())
        _ = faultsForFreshBuffer(bytes)
        let again = faultsForFreshBuffer(bytes)
        XCTAssertLessThan(again, pages / 20, "the second buffer reuses the first's pages (\(again) faults for \(pages) pages)")
        #endif
    }
}
