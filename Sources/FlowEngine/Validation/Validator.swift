/// Checks a loaded flow set for everything that would hurt a patient at run time: broken
/// routes, dead ends, loops that never wait, actions called wrongly, variables never set,
/// texts missing in one language, Telegram limits.
struct Validator {
    let set: FlowSet
    let signatures: [String: ActionSignature]
    var diagnostics: [Diagnostic] = []

    /// Texts the engine itself shows, whatever the flows say.
    static let engineKeys = [
        "common.back", "common.stale_button", "common.too_fast", "common.error", "common.flow_updated", "common.unknown_command",
        ChoiceProblem.useButtons,
    ]
    /// Messages the server sends outside any flow, with the values it gives them: the alert to
    /// the staff chat about a low rating, or about a paid visit cancelled (money to return).
    /// Optional: without one the server words it itself.
    public static let serverMessages: [String: Set<String>] = [
        "staff.low_rating": ["score", "code", "date", "time", "doctor"],
        "staff.refund_request": ["code", "date", "time", "amount", "invoice"],
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
            validator.checkSensitive(flow)
            validator.checkButtons(flow)
        }
        validator.checkPlans()
        validator.checkTexts()
        return validator.diagnostics
    }

    mutating func error(_ check: String, _ location: SourceLocation, _ message: String) {
        diagnostics.append(.error(check, at: location, message))
    }

    mutating func warning(_ check: String, _ location: SourceLocation, _ message: String) {
        diagnostics.append(.warning(check, at: location, message))
    }

    /// Each command starts one flow, and some flow answers /start. (A flow name defined twice is
    /// reported by the loader, which sees both files; the set keeps only the first.)
    mutating func checkFlowNames() {
        var commands: [String: (location: SourceLocation, flow: String)] = [:]
        let flows = set.flows.values.sorted { $0.file < $1.file }
        for flow in flows {
            for command in flow.triggers.commands {
                if let first = commands[command.value] {
                    error("duplicate-trigger", command.location,
                          first.flow == flow.name.value
                              ? "command /\(command.value) is listed twice (\(first.location))"
                              : "command /\(command.value) already starts another flow (\(first.location))")
                } else {
                    commands[command.value] = (command.location, flow.name.value)
                }
            }
        }
        // A menu text may start one flow only: in either language, its label must be unique.
        var texts: [String: (location: SourceLocation, key: String)] = [:]
        for flow in flows {
            for key in flow.triggers.texts {
                for language in Language.allCases {
                    let label = set.locales.plain(key.value, in: language)
                    if let first = texts[label], first.key != key.value || first.location != key.location {
                        error("duplicate-trigger", key.location, "the text “\(label)” (\(key.value)) already starts another flow (\(first.location))")
                        break
                    }
                    texts[label] = (key.location, key.value)
                }
            }
        }
        if set.commands["start"] == nil {
            error("start", SourceLocation(file: flows.first?.file ?? "flows", line: 1, column: 1),
                  "no flow is started by /start (add 'triggers: { commands: [start] }' to one flow)")
        }
    }
}
