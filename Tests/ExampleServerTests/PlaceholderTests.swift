import Testing
import Foundation
import TestSupport

@Suite struct RepositoryLayoutTests {
    @Test func rootHasNoPackageDependencies() throws {
        let manifest = try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!manifest.contains(".package("))
    }
}
