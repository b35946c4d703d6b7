import XCTest

final class PlaceholderSmileVisionTests: XCTestCase {}
