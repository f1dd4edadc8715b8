/// Checks a loaded flow set for everything that would hurt a patient at run time: broken
/// routes, dead ends, loops that never wait, actions called wrongly, variables never set,
/// texts missing in one language, Telegram limits.
struct Validator {
    let set: FlowSet
    let signatures: [String: ActionSignature]
    var diagnostics: [Diagnostic] = []

    /// Texts the engine itself shows, whatever the flows say.
    static let engineKeys = [
        "common.back", "common.stale_button", "common.error", "common.flow_updated", "common.unknown_command",
        ChoiceProblem.useButtons,
    ]
    /// Telegram: a message is at most 4096 characters; an inline keyboard at most 100 buttons.
    static let maxTextLength = 4096
    static let maxInlineButtons = 100
    static let maxButtonLabel = 64

    init(set: FlowSet, signatures: [ActionSignature]) {
        self.set = set
        self.signatures = Dictionary(signatures.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func run() -> [Diagnostic] {
        var validator = self
        validator.checkFlowNames()
        let writes = validator.writeIndex()
        for flow in set.flows.values.sorted(by: { $0.file < $1.file }) {
            let graph = StepGraph(flow: flow)
            validator.checkTargets(flow)
            validator.checkReachability(flow, graph: graph)
            validator.checkDeadEnds(flow)
            validator.checkLoops(flow, graph: graph)
            validator.checkBackOverCommit(flow, graph: graph)
            validator.checkActions(flow)
            validator.checkCalls(flow)
            validator.checkVariables(flow, graph: graph, writes: writes)
            validator.checkButtons(flow)
        }
        validator.checkTexts()
        return validator.diagnostics
    }

    mutating func error(_ check: String, _ location: SourceLocation, _ message: String) {
        diagnostics.append(.error(check, at: location, message))
    }

    mutating func warning(_ check: String, _ location: SourceLocation, _ message: String) {
        diagnostics.append(.warning(check, at: location, message))
    }

    mutating func checkFlowNames() {
        var seen: [String: SourceLocation] = [:]
        var commands: [String: SourceLocation] = [:]
        var allFlows: [Flow] = []
        // FlowSet keeps the first flow of a name; the loader's list may hold duplicates, so
        // compare names by file to report them.
        for flow in set.flows.values { allFlows.append(flow) }
        for flow in allFlows.sorted(by: { $0.file < $1.file }) {
            if let first = seen[flow.name.value], first.file != flow.file {
                error("duplicate-flow", flow.name.location, "flow '\(flow.name.value)' is also defined in \(first.file)")
            }
            seen[flow.name.value] = flow.name.location
            for command in flow.triggers.commands {
                if let first = commands[command.value] {
                    error("duplicate-trigger", command.location, "command /\(command.value) already starts another flow (\(first))")
                }
                commands[command.value] = command.location
            }
        }
        if set.commands["start"] == nil {
            error("start", SourceLocation(file: allFlows.map(\.file).min() ?? "flows", line: 1, column: 1),
                  "no flow is started by /start (add 'triggers: { commands: [start] }' to one flow)")
        }
    }
}
