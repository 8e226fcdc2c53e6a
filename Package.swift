// swift-tools-version: 6.2
//
// swift-token-auth: token authentication middleware for Swift HTTP servers.
//
// The root package has no package dependencies, by design: TokenCore and TokenMiddleware build
// with the Swift toolchain alone. Integrations (Vapor, Hummingbird, PostgreSQL) and the
// benchmarks live in their own packages under Examples/ and Benchmarks/.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-token-auth",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TokenCore", targets: ["TokenCore"]),
        .library(name: "TokenMiddleware", targets: ["TokenMiddleware"]),
        .executable(name: "ExampleServer", targets: ["ExampleServer"]),
    ],
    targets: [
        .target(name: "TokenCore", swiftSettings: swiftSettings),
        .target(name: "TokenMiddleware", dependencies: ["TokenCore"], swiftSettings: swiftSettings),
        // epoll/eventfd headers for ExampleServer's event loop (a module map, no code).
        .systemLibrary(name: "CExampleServerEpoll", path: "Sources/CExampleServerEpoll"),
        // The example server's HTTP/1.1 request parser, a library only so the fuzz driver can
        // import it (an executable target cannot be imported). Not a product.
        .target(name: "ExampleServerHTTP", dependencies: ["TokenMiddleware"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "ExampleServer",
            dependencies: ["TokenCore", "TokenMiddleware", "ExampleServerHTTP", "CExampleServerEpoll"],
            swiftSettings: swiftSettings
        ),
        // libFuzzer targets for every parser (Docs/Fuzzing.md). A plain build is a replay driver
        // (`swift run FuzzTargets <target> <files…>`); scripts/fuzz.sh rebuilds it with
        // `-D FUZZING` and the fuzzer and address sanitizers in its own scratch path.
        .executableTarget(
            name: "FuzzTargets",
            dependencies: ["TokenCore", "TokenMiddleware", "ExampleServerHTTP"],
            path: "Fuzz/Sources/FuzzTargets",
            swiftSettings: swiftSettings
        ),
        // Fixture paths, ../shared lookup and external-tool detection shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "TokenCoreTests",
            dependencies: ["TokenCore", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TokenMiddlewareTests",
            dependencies: ["TokenCore", "TokenMiddleware", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExampleServerTests",
            dependencies: ["ExampleServer", "ExampleServerHTTP", "TokenCore", "TokenMiddleware", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
