// swift-tools-version: 6.1
// Issuing ES256 JWTs with a private key held by swift-crypto, through the project's `JWTSigner`
// protocol; the tokens verify with the project's own pure-Swift verifier.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SwiftCryptoSigner",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "SwiftCryptoSigner",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwiftCryptoSignerTests",
            dependencies: [
                "SwiftCryptoSigner",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
