import XCTest

final class PlaceholderSmileKitTests: XCTestCase {}
