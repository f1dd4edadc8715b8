import FlowEngine
import Synchronization

/// The flow set the bot runs now. A reload swaps it in one step: an update is handled
/// entirely by the set it started with, the next one by the new set.
public final class FlowSetHolder: Sendable {
    private let current: Mutex<Interpreter>

    public init(_ set: FlowSet) { current = Mutex(Interpreter(set: set)) }

    public var interpreter: Interpreter { current.withLock { $0 } }
    public var version: String { interpreter.set.version }

    public func replace(with set: FlowSet) { current.withLock { $0 = Interpreter(set: set) } }
}
