import Foundation
import Synchronization

/// A list of values appended from any task, read by the test.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    init() {}

    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}

/// Counts what runs at once, per key: the most seen together, per key and overall.
final class ConcurrencyMeter: Sendable {
    private struct State {
        var running: [Int64: Int] = [:]
        var most: [Int64: Int] = [:]
        var total = 0
        var mostTotal = 0
    }
    private let state = Mutex(State())

    func enter(_ key: Int64) {
        state.withLock {
            $0.running[key, default: 0] += 1
            $0.most[key] = max($0.most[key] ?? 0, $0.running[key]!)
            $0.total += 1
            $0.mostTotal = max($0.mostTotal, $0.total)
        }
    }

    func leave(_ key: Int64) {
        state.withLock {
            $0.running[key, default: 0] -= 1
            $0.total -= 1
        }
    }

    func most(_ key: Int64) -> Int { state.withLock { $0.most[key] ?? 0 } }
    var mostTogether: Int { state.withLock { $0.mostTotal } }
}

/// Polls `condition` until it holds or `timeout` passes; whether it held.
func eventually(timeout: Duration = .seconds(10), every pause: Duration = .milliseconds(10),
                _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: pause)
    }
}

/// An error that is neither "storage unavailable" nor Redis's: a poison update.
struct Poison: Error {}

/// Waits until the current one-minute rate window has at least `seconds` left, so a test that
/// counts within one window does not straddle two.
func waitForFreshRateWindow(seconds: Int = 15) async {
    let intoMinute = Int(Date().timeIntervalSince1970) % 60
    if 60 - intoMinute < seconds {
        try? await Task.sleep(for: .seconds(60 - intoMinute) + .milliseconds(50))
    }
}

/// A switch a test flips while the code under test reads it.
final class Flag: Sendable {
    private let value: Atomic<Bool>
    init(_ value: Bool) { self.value = Atomic(value) }
    var isOn: Bool { value.load(ordering: .sequentiallyConsistent) }
    func set(_ on: Bool) { value.store(on, ordering: .sequentiallyConsistent) }
}
