import XCTest

final class PlaceholderSmileEndToEndTests: XCTestCase {}
