// swift-tools-version: 6.1
// swift-token-auth in front of a Vapor 4 application: an adapter (TokenAuthMiddleware),
// a demo app with the example server's protected routes, and VaporTesting tests.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "VaporIntegration",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.100.0"),
        // Already in Vapor's graph; named so the socket test can stream a chunked body.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
    ],
    targets: [
        .target(
            name: "VaporIntegration",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "VaporDemo",
            dependencies: ["VaporIntegration", .product(name: "Vapor", package: "vapor")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VaporIntegrationTests",
            dependencies: [
                "VaporIntegration",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
