// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "clinic-bot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "clinic-bot", targets: ["Server"]),
        .library(name: "FlowEngine", targets: ["FlowEngine"]),
        .library(name: "Actions", targets: ["Actions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure: the flow language, its validator and interpreter. No network, no database.
        .target(
            name: "FlowEngine",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The named actions flows call, and the clinic domain on PostgreSQL.
        .target(
            name: "Actions",
            dependencies: [
                "FlowEngine",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The /api/bot/ REST API over a `Clinic`: JSON, bearer auth, errors as JSON 4xx.
        .target(
            name: "ClinicAPI",
            dependencies: [
                "FlowEngine", "Actions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The `clinic-bot` executable: command line, terminal chat, conversation tests.
        .executableTarget(
            name: "Server",
            dependencies: [
                "FlowEngine", "Actions", "ClinicAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Helpers shared by the test targets (not shipped).
        .target(name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport"),
        .testTarget(name: "FlowEngineTests", dependencies: ["FlowEngine"]),
        .testTarget(
            name: "ActionsTests",
            dependencies: [
                "Actions", "FlowEngine", "TestSupport",
                // The Clinic contract suite runs against the REST API too (RemoteClinic → ClinicAPI).
                "ClinicAPI", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The dialogues in flows/ and locales/ as shipped, checked against the real signatures.
        .testTarget(name: "ShippedFlowsTests", dependencies: ["FlowEngine", "Actions"]),
        .testTarget(
            name: "ClinicAPITests",
            dependencies: [
                "ClinicAPI", "Actions", "FlowEngine", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
