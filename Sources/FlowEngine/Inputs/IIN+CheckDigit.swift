extension IIN {
    /// The official check digit of an IIN's first 11 digits, or nil when there is none
    /// (both weighted sums leave 10), in which case no valid IIN starts with these digits.
    ///
    /// First pass: weights 1…11, sum mod 11. If that gives 10, second pass with weights
    /// 3…11, 1, 2. If that gives 10 too, the number is never issued.
    public static func checkDigit<Digits: Collection>(_ first11: Digits) -> Int?
    where Digits.Element == Int {
        guard first11.count == 11 else { return nil }
        var first = 0
        var second = 0
        for (index, digit) in first11.enumerated() {
            first += digit * (index + 1)
            second += digit * ((index + 2) % 11 + 1)  // 3, 4, …, 11, 1, 2
        }
        if first % 11 != 10 { return first % 11 }
        if second % 11 != 10 { return second % 11 }
        return nil
    }
}
