// swift-tools-version: 6.1
// Writing an authenticator from scratch: a Stripe-style signed-webhook check
// (`t=…,v1=…`), composed with the built-in JWT authenticator. No dependency beyond the root
// package. Walkthrough: Docs/CustomValidators.md.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "CustomValidator",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CustomValidator", targets: ["CustomValidator"]),
        .executable(name: "custom-validator-demo", targets: ["custom-validator-demo"]),
    ],
    dependencies: [
        .package(name: "swift-token-auth", path: "../.."),
    ],
    targets: [
        .target(
            name: "CustomValidator",
            dependencies: [
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "custom-validator-demo",
            dependencies: [
                "CustomValidator",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CustomValidatorTests",
            dependencies: [
                "CustomValidator",
                .product(name: "TokenCore", package: "swift-token-auth"),
                .product(name: "TokenMiddleware", package: "swift-token-auth"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
