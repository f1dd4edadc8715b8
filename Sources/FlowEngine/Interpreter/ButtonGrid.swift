/// Inline buttons being laid out for one question: each gets the token `serial.index` and its
/// action is kept, by index, in the session.
struct ButtonGrid {
    let serial: Int
    private(set) var rows: [[Button]] = []
    private(set) var actions: [ButtonAction] = []
    private var row: [Button] = []

    init(serial: Int) {
        self.serial = serial
    }

    /// Adds a button to the current row, starting a new row once it holds `columns` buttons.
    mutating func add(_ label: String, _ action: ButtonAction, columns: Int = .max) {
        row.append(Button(text: label, token: "\(serial).\(actions.count)"))
        actions.append(action)
        if row.count >= columns { endRow() }
    }

    mutating func endRow() {
        if !row.isEmpty { rows.append(row) }
        row = []
    }
}
