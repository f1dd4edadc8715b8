extension Session {
    /// Drops the sensitive variables (`Flow.sensitive`) of every flow no frame runs any more,
    /// from the variables and from the back history's undo records.
    ///
    /// The interpreter calls this after every event, so it does not matter how a flow ended —
    /// its last step, `goto`, `/cancel` or another command, the step limit, a reload that moved
    /// the person, a `wait` that parked it: what it kept of a person's data does not outlive it.
    public mutating func forgetSensitiveOfEndedFlows(_ set: FlowSet) {
        guard !set.sensitiveOwners.isEmpty else { return }
        let running = Set(frames.map(\.flow))
        for (root, owners) in set.sensitiveOwners where owners.isDisjoint(with: running) {
            variables.removeValue(forKey: root)
            for index in history.indices { history[index].undo.removeValue(forKey: root) }
        }
    }
}
