// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "clinic-bot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clinic-bot", targets: ["Server"]),
        .library(name: "FlowEngine", targets: ["FlowEngine"]),
        .library(name: "ClinicContract", targets: ["ClinicContract"]),
        .library(name: "ClinicRemote", targets: ["ClinicRemote"]),
        .library(name: "FlowActions", targets: ["FlowActions"]),
        .library(name: "ClinicPostgres", targets: ["ClinicPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure: the flow language, its validator and interpreter. No network, no database.
        .target(
            name: "FlowEngine",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The named actions flows call, and the clinic domain on PostgreSQL.
        // The clinic's contract: its types and the protocols of its domains, without a database
        // or an HTTP client. The REST API and the flows' actions see the clinic through it.
        .target(
            name: "ClinicContract",
            dependencies: ["FlowEngine", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The clinic over HTTP: a remote clinic's REST API and the bank's payment pages.
        .target(
            name: "ClinicRemote",
            dependencies: [
                "ClinicContract", "FlowEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // The actions flows call (`do:`), written against the contract's protocols.
        .target(
            name: "FlowActions",
            dependencies: ["FlowEngine", "ClinicContract", .product(name: "Logging", package: "swift-log")]
        ),
        // The clinic on PostgreSQL, and the registry that runs the flows' actions against it.
        .target(
            name: "ClinicPostgres",
            dependencies: [
                "FlowEngine", "ClinicContract", "ClinicRemote", "FlowActions", "DocumentPDF",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The /api/bot/ REST API over a `Clinic`: JSON, bearer auth, errors as JSON 4xx.
        .target(
            name: "ClinicAPI",
            dependencies: [
                "FlowEngine", "ClinicContract",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The listener's limits: idle timeout and connection cap (HTTPListener).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Debian's pango and cairo (libpango1.0-dev) in one module: two modules that both
        // include cairo.h break a clean build.
        .systemLibrary(name: "CPangoCairo", path: "Sources/CPangoCairo", pkgConfig: "pangocairo"),
        // A4 PDFs of the clinic's documents in Russian and Kazakh (pango lays out, cairo writes).
        .target(name: "DocumentPDF", dependencies: ["CPangoCairo"]),
        // A bank on loopback with the wire behaviour of `RedirectProvider`: for the tests and the
        // callbacks benchmark, never wired into `serve`.
        // An HTTP server on loopback for a test's length, stopped gracefully.
        .target(
            name: "LoopbackServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PaymentFakes",
            dependencies: [
                "ClinicContract", "FlowEngine", "LoopbackServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Debian's libhiredis (libhiredis-dev): the Redis protocol in C.
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        // Redis over hiredis: a small pool whose blocking calls run on a thread pool, never on
        // an event loop; sessions and the primitives the bot runtime needs.
        .target(
            name: "RedisStore",
            dependencies: [
                "CHiredis", "FlowEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // rediss://: TLS in front of hiredis (RedisTLSTunnel).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Telegram Bot API: wire types, the HTTP client, the outbound limiter, the renderer
        // from the engine's replies to Bot API calls.
        .target(
            name: "Telegram",
            dependencies: [
                "FlowEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The bot as a service: updates in (webhook, polling), once and in order per chat,
        // through the engine and actions, replies out; sessions; hot reload; metrics.
        .target(
            name: "BotRuntime",
            dependencies: [
                "FlowEngine", "ClinicPostgres", "ClinicAPI", "Telegram", "RedisStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The `clinic-bot` executable: command line, terminal chat, conversation tests.
        .executableTarget(
            name: "Server",
            dependencies: [
                "FlowEngine", "ClinicPostgres", "DocumentPDF", "ClinicAPI", "Telegram", "RedisStore", "BotRuntime", "PaymentFakes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Helpers shared by the test targets (not shipped).
        .target(
            name: "TestSupport",
            dependencies: [
                "ClinicPostgres", "Telegram", "LoopbackServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The fake Bot API the Telegram and runtime tests talk to.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "FlowEngineTests", dependencies: ["FlowEngine"]),
        .testTarget(name: "DocumentPDFTests", dependencies: ["DocumentPDF"]),
        .testTarget(
            name: "ActionsTests",
            dependencies: [
                "ClinicPostgres", "FlowEngine", "TestSupport", "DocumentPDF",
                // The Clinic contract suite runs against the REST API too (RemoteClinic → ClinicAPI).
                "ClinicAPI", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The dialogues in flows/ and locales/ as shipped, checked against the real signatures.
        .testTarget(name: "ShippedFlowsTests", dependencies: ["FlowEngine", "FlowActions"]),
        .testTarget(name: "RedisStoreTests", dependencies: ["RedisStore", "FlowEngine", "TestSupport"]),
        .testTarget(
            name: "TelegramTests",
            dependencies: [
                "Telegram", "FlowEngine", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "BotRuntimeTests",
            dependencies: [
                "BotRuntime", "Telegram", "RedisStore", "FlowEngine", "ClinicPostgres", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "ClinicAPITests",
            dependencies: [
                "ClinicAPI", "ClinicPostgres", "FlowEngine", "TestSupport", "PaymentFakes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
