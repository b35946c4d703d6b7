import Foundation

extension InputFailure {
    /// The failure to load the labelled set or box file `input`, naming the file once.
    ///
    /// CSV and XML errors already carry their file (and line): that place becomes the failure's
    /// path and their reason its reason, so the message does not repeat the file.
    init(loading input: String, error: Error) {
        func place(_ file: String, _ line: Int) -> String { line > 0 ? "\(file):\(line)" : file }
        switch error {
        case let e as CSVFileError: self.init(path: place(e.file, e.line), reason: e.reason)
        case let e as DlibXMLError: self.init(path: place(e.file, e.line), reason: e.reason)
        default: self.init(path: input, error: error)
        }
    }
}
