import Foundation
import Testing

@testable import SipasDomain

@Suite("Rounding on the printed digits agrees with the Decimal rule")
struct RoundingDigitsTests {
    /// The rule as written first: the decimal the Double prints as, rounded half away from zero by NSDecimalRound.
    static func byDecimal(_ value: Double, places: Int) -> Double {
        Rounding.doubleByDigits(Rounding.decimal(value), places: places)
    }

    @Test(
        "halves, nines that carry, negatives, zeros and whole numbers",
        arguments: [
            2.675, 0.125, -0.125, 9.995, 99.995, 0.005, -0.005, 0.0049, 123_456.785, 54.375, 54.385, 0.0, -0.0,
            -0.001, 1.0, 7.5, 0.5, -2.5, 999.9999, 0.81299999999999994, 1e-5, 1e16, 3.0e-7,
        ])
    func edges(_ value: Double) {
        for places in 0...4 {
            let fast = Rounding.double(value, places: places)
            let slow = Self.byDecimal(value, places: places)
            #expect(fast.bitPattern == slow.bitPattern, "\(value) to \(places) places: \(fast) vs \(slow)")
        }
    }

    @Test("a hundred thousand values of every size")
    func many() {
        var generator = SystemRandomNumberGenerator()
        var disagreements: [String] = []
        for index in 0..<100_000 {
            let magnitude = [1.0, 100, 0.01, 10_000][index % 4]
            var value = Double.random(in: -magnitude...magnitude, using: &generator)
            // Shares and percentages with few digits, as the figures are: many exact halves among them.
            if index % 2 == 0 { value = (value * 1000).rounded() / 1000 }
            let places = index % 5
            let fast = Rounding.double(value, places: places)
            let slow = Self.byDecimal(value, places: places)
            if fast.bitPattern != slow.bitPattern && disagreements.count < 5 {
                disagreements.append("\(value) to \(places): \(fast) vs \(slow)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
    }

    @Test("exact percentages and means of them, halves among them, as Decimal figures are")
    func decimals() {
        var generator = SystemRandomNumberGenerator()
        var disagreements: [String] = []
        // Exact halves and the values around them first: 54.375 (87 of 160), 0.125, 99.995, -2.5.
        var values: [Decimal] = [
            Decimal(87) * 100 / 160, Decimal(125) / 1000, Decimal(99_995) / 1000, Decimal(-25) / 10, 0, Decimal(100),
            Decimal(string: "54.37499999999999999999999999999999")!, Decimal(string: "54.375000000000000000000000001")!,
        ]
        for _ in 0..<50_000 {
            let count = Int.random(in: 1...2_000, using: &generator)
            let part = Int.random(in: 0...count, using: &generator)
            let rate = Rounding.percent(part, of: count)!
            values.append(rate)
            // A mean of three rates, as an element's index is: 38 digits, rarely exact.
            let other = Rounding.percent(Int.random(in: 0...count, using: &generator), of: count)!
            values.append((rate + other + Decimal(Int.random(in: 0...100, using: &generator))) / 3)
        }
        for (index, value) in values.enumerated() {
            let places = index % 4
            let fast = Rounding.double(value, places: places)
            let slow = Rounding.doubleByDigits(value, places: places)
            if fast.bitPattern != slow.bitPattern && disagreements.count < 5 {
                disagreements.append("\(value) to \(places): \(fast) vs \(slow)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements)")
    }
}
