import Foundation

extension TimeZone {
    /// Asia/Almaty, the default `CLINIC_TIMEZONE`. Kazakhstan has kept UTC+5 all year since
    /// March 2024, so the fixed offset is the right answer where tzdata is missing.
    public static let clinicDefault = TimeZone(identifier: "Asia/Almaty") ?? TimeZone(secondsFromGMT: 5 * 3600)!
}
