// swift-tools-version: 6.1
//
// Benchmarks for swift-token-auth, beside vapor/jwt-kit on the same tokens.
// Its own package so the root package keeps zero dependencies.
//
//     swift run -c release --package-path Benchmarks                 # every case
//     swift run -c release --package-path Benchmarks Benchmarks jwt  # cases whose name contains "jwt"
import PackageDescription

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-token-auth", path: ".."),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
