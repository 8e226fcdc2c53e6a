// swift-tools-version: 6.1
//
// A Swift client for signed dynamic tokens: signs a request with DynamicTokenSigner and sends it
// with URLSession. Its own package, depending on the root package by path.
//
//     swift run --package-path Examples/DynamicTokenClient DynamicTokenClient http://127.0.0.1:8080/dynamic
import PackageDescription

let package = Package(
    name: "DynamicTokenClient",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "DynamicTokenClient",
            dependencies: [.product(name: "TokenCore", package: "swift-token-auth")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
