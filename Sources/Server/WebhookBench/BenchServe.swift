import Foundation

/// `clinic-bot serve` as the benchmarks start it: this same executable, in webhook mode on
/// loopback, with its Bot API at `telegramPort` and the rest of its environment inherited.
enum BenchServe {
    static let secret = "bench-secret-of-at-least-32-characters"

    /// - Parameter settings: variables to set (a value) or to clear (nil) on top of the defaults.
    static func start(port: Int, telegramPort: Int, settings: [String: String?] = [:]) throws -> Process {
        var environment: [String: String?] = [:]
        environment["TELEGRAM_BOT_TOKEN"] = "123:bench"
        environment["TELEGRAM_API_URL"] = "http://127.0.0.1:\(telegramPort)"
        environment["USE_WEBHOOK"] = "true"
        environment["TELEGRAM_WEBHOOK_URL"] = "https://bench.invalid/api/bot/webhook"
        environment["TELEGRAM_WEBHOOK_SECRET"] = secret
        environment["PORT"] = String(port)
        // Any free port: two servers may run side by side.
        environment["ADMIN_PORT"] = "0"
        // updateValue keeps a nil: the variable is cleared, not left as inherited.
        for (name, value) in settings { environment.updateValue(value, forKey: name) }
        return try run("serve", settings: environment)
    }

    /// This same executable running `command` on loopback, its environment inherited, with
    /// `settings` set (a value) or cleared (nil) on top, and logs at `warning` unless told.
    static func run(_ command: String, settings: [String: String?]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [command]
        var environment = ProcessInfo.processInfo.environment
        environment["HOST"] = "127.0.0.1"
        environment["LOG_LEVEL"] = environment["LOG_LEVEL"] ?? "warning"
        for (name, value) in settings { environment[name] = value }
        process.environment = environment
        try process.run()
        return process
    }

    /// A process's peak resident memory (`VmHWM` in /proc), as the kernel writes it ("61234 kB").
    static func peakMemory(of pid: Int32) -> String {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) } ?? "?"
    }
}
