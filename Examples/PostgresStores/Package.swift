// swift-tools-version: 6.1
// PostgreSQL-backed stores for swift-token-auth (issue 11): replay cache, revocation list,
// refresh-token families, opaque tokens and API keys on postgres-nio, so several instances
// behind a load balancer share single use, rotation, revocation and keys. Also the Hummingbird
// demo app wired to them, a multi-instance test and a replay-cache benchmark.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "PostgresStores",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PostgresTokenStores", targets: ["PostgresTokenStores"]),
        .executable(name: "PostgresStoresDemo", targets: ["PostgresStoresDemo"]),
        .executable(name: "ReplayBenchmark", targets: ["ReplayBenchmark"]),
    ],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
        .package(name: "HummingbirdIntegration", path: "../HummingbirdIntegration"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // The stores: no HTTP, only TokenCore and PostgresNIO.
        .target(
            name: "PostgresTokenStores",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Hummingbird demo app on the stores (routes, settings), as a library so tests and
        // the executable share it.
        .target(
            name: "PostgresDemoApp",
            dependencies: [
                "PostgresTokenStores",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "HummingbirdIntegration", package: "HummingbirdIntegration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PostgresStoresDemo",
            dependencies: ["PostgresDemoApp"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ReplayBenchmark",
            dependencies: [
                "PostgresTokenStores",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresStoresTests",
            dependencies: [
                "PostgresTokenStores",
                "PostgresDemoApp",
                "PostgresStoresDemo",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
