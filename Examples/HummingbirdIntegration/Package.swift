// swift-tools-version: 6.1
// swift-token-auth in front of a Hummingbird 2 application: an adapter (TokenAuthMiddleware),
// a demo app with the example server's protected routes, and HummingbirdTesting tests.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "HummingbirdIntegration",
    platforms: [.macOS(.v14)],
    products: [
        // The adapter and demo routes, reused by Examples/PostgresStores.
        .library(name: "HummingbirdIntegration", targets: ["HummingbirdIntegration"]),
    ],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.0.0"),
        // Already in HummingbirdTesting's graph; named so the socket test can stream a chunked body.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
    ],
    targets: [
        .target(
            name: "HummingbirdIntegration",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HummingbirdDemo",
            dependencies: ["HummingbirdIntegration", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HummingbirdIntegrationTests",
            dependencies: [
                "HummingbirdIntegration",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
