// swift-tools-version: 6.1
// The quick start: a custom authenticator and a scope guard in front of a responder.
import PackageDescription

let package = Package(
    name: "QuickStart",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
    ],
    targets: [
        .target(
            name: "QuickStart",
            dependencies: [.product(name: "TokenMiddleware", package: "swift-token-auth")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "QuickStartTests",
            dependencies: ["QuickStart", .product(name: "TokenMiddleware", package: "swift-token-auth")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
