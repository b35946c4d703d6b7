import XCTest

final class PlaceholderSmileNNTests: XCTestCase {}
