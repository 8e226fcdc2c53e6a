// swift-tools-version: 6.1
// A URLSession client for the example server's session flow (login, call, refresh, reuse
// detection, logout). Foundation only: no dependency, not even the root package.
import PackageDescription

let package = Package(
    name: "SessionClient",
    platforms: [.macOS(.v13)],
    targets: [
        .executableTarget(name: "SessionClient", swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
