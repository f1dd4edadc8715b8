/// Sex as recorded in documents; the raw values are what the clinic's records store.
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case male = "M"
    case female = "F"
}
