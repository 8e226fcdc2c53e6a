/// A prime-order short Weierstrass curve y² = x³ − 3x + b (SEC 2 §2.4–2.5) used for ECDSA.
///
/// Both NIST curves here have a = −3, which the doubling formula in ``JacobianPoint`` relies on.
/// A conforming type is a namespace of constants; the generic code specialises for each curve.
protocol WeierstrassCurve: Sendable {
    associatedtype Field: MontgomeryFieldElement
    associatedtype Scalar: MontgomeryFieldElement

    /// The curve coefficient b, in Montgomery form.
    static var b: Field { get }
    /// The base point G.
    static var generator: AffinePoint<Field> { get }
    /// Odd multiples of 2^(64·j)·G for the limb-split wNAF of u₁ (built once per process).
    static var generatorTable: LimbSplitTable<Field> { get }
}

extension WeierstrassCurve {
    /// Whether (x, y) satisfies y² = x³ − 3x + b.
    static func isOnCurve(x: Field, y: Field) -> Bool {
        let x3 = x.squared() * x
        let threeX = x.doubled() + x
        return y.squared() == x3 - threeX + b
    }
}

/// The NIST P-256 curve (secp256r1, SEC 2 §2.4.2).
enum P256Curve: WeierstrassCurve {
    typealias Field = P256FieldElement
    typealias Scalar = P256Scalar

    static let b = Field(canonicalLimbs: [0x3bce_3c3e_27d2_604b, 0x651d_06b0_cc53_b0f6, 0xb3eb_bd55_7698_86bc, 0x5ac6_35d8_aa3a_93e7])
    static let generator = AffinePoint<Field>(
        x: Field(canonicalLimbs: [0xf4a1_3945_d898_c296, 0x7703_7d81_2deb_33a0, 0xf8bc_e6e5_63a4_40f2, 0x6b17_d1f2_e12c_4247]),
        y: Field(canonicalLimbs: [0xcbb6_4068_37bf_51f5, 0x2bce_3357_6b31_5ece, 0x8ee7_eb4a_7c0f_9e16, 0x4fe3_42e2_fe1a_7f9b])
    )
    static let generatorTable = LimbSplitTable(generator, parts: Scalar.modulusLimbs.count, window: 7)
}

/// The NIST P-384 curve (secp384r1, SEC 2 §2.5.1).
enum P384Curve: WeierstrassCurve {
    typealias Field = P384FieldElement
    typealias Scalar = P384Scalar

    static let b = Field(canonicalLimbs: [
        0x2a85_c8ed_d3ec_2aef, 0xc656_398d_8a2e_d19d, 0x0314_088f_5013_875a,
        0x181d_9c6e_fe81_4112, 0x988e_056b_e3f8_2d19, 0xb331_2fa7_e23e_e7e4,
    ])
    static let generator = AffinePoint<Field>(
        x: Field(canonicalLimbs: [
            0x3a54_5e38_7276_0ab7, 0x5502_f25d_bf55_296c, 0x59f7_41e0_8254_2a38,
            0x6e1d_3b62_8ba7_9b98, 0x8eb1_c71e_f320_ad74, 0xaa87_ca22_be8b_0537,
        ]),
        y: Field(canonicalLimbs: [
            0x7a43_1d7c_90ea_0e5f, 0x0a60_b1ce_1d7e_819d, 0xe9da_3113_b5f0_b8c0,
            0xf8f4_1dbd_289a_147c, 0x5d9e_98bf_9292_dc29, 0x3617_de4a_9626_2c6f,
        ])
    )
    static let generatorTable = LimbSplitTable(generator, parts: Scalar.modulusLimbs.count, window: 7)
}
