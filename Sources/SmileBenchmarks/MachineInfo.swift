import CBLAS
import Foundation

/// What a benchmark ran on: CPU model, core count, OpenBLAS kernel set, and the process's peak memory.
public enum MachineInfo {
    /// The first "model name" of `/proc/cpuinfo`, or "unknown CPU".
    public static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }

    /// Logical cores available to this process.
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// OpenBLAS's name for the kernels it chose at run time (e.g. "SkylakeX"), or nil.
    public static var blasCoreName: String? {
        guard let name = openblas_get_corename() else { return nil }
        return String(cString: name)
    }

    /// Peak resident set size of this process so far, in MiB (`getrusage`, `ru_maxrss` in KiB on Linux).
    public static var peakResidentMiB: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
