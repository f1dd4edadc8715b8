import Foundation
import Logging

/// Log lines go to standard error at `LOG_LEVEL` (trace … critical). Logs carry ids and
/// outcomes only: IIN, phone numbers and tokens are never passed to a logger.
enum Logs {
    /// Bootstraps swift-log once per process; `fallback` is the level when `LOG_LEVEL` is unset.
    static func bootstrap(fallback: Logger.Level) {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? fallback
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
