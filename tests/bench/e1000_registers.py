# SPDX-License-Identifier: GPL-2.0
"""Names of the 8254x registers in BAR 0, by offset, for the count table
(names as in Intel's 8254x manual and the C driver's e1000_hw.h)."""

REGISTERS = {
    0x0000: "CTRL", 0x0008: "STATUS", 0x0010: "EECD", 0x0014: "EERD",
    0x0018: "CTRL_EXT", 0x0020: "MDIC", 0x0028: "FCAL", 0x002C: "FCAH",
    0x0030: "FCT", 0x0038: "VET",
    0x00C0: "ICR", 0x00C4: "ITR", 0x00C8: "ICS", 0x00D0: "IMS", 0x00D8: "IMC",
    0x0100: "RCTL", 0x0170: "FCTTV", 0x0178: "TXCW", 0x0180: "RXCW",
    0x0400: "TCTL", 0x0410: "TIPG", 0x0E00: "LEDCTL", 0x1000: "PBA",
    0x2160: "FCRTL", 0x2168: "FCRTH",
    0x2800: "RDBAL", 0x2804: "RDBAH", 0x2808: "RDLEN", 0x2810: "RDH",
    0x2818: "RDT", 0x2820: "RDTR", 0x2828: "RXDCTL", 0x282C: "RADV",
    0x3800: "TDBAL", 0x3804: "TDBAH", 0x3808: "TDLEN", 0x3810: "TDH",
    0x3818: "TDT", 0x3820: "TIDV", 0x3828: "TXDCTL", 0x382C: "TADV",
    0x5000: "RXCSUM", 0x5008: "RFCTL",
}

# Statistics counters, 0x4000-0x40FF (clear on read).
STATISTICS = {
    0x4000: "CRCERRS", 0x4004: "ALGNERRC", 0x4008: "SYMERRS", 0x400C: "RXERRC",
    0x4010: "MPC", 0x4014: "SCC", 0x4018: "ECOL", 0x401C: "MCC",
    0x4020: "LATECOL", 0x4028: "COLC", 0x4030: "DC", 0x4034: "TNCRS",
    0x4038: "SEC", 0x403C: "CEXTERR", 0x4040: "RLEC", 0x4048: "XONRXC",
    0x404C: "XONTXC", 0x4050: "XOFFRXC", 0x4054: "XOFFTXC", 0x4058: "FCRUC",
    0x405C: "PRC64", 0x4060: "PRC127", 0x4064: "PRC255", 0x4068: "PRC511",
    0x406C: "PRC1023", 0x4070: "PRC1522", 0x4074: "GPRC", 0x4078: "BPRC",
    0x407C: "MPRC", 0x4080: "GPTC", 0x4088: "GORCL", 0x408C: "GORCH",
    0x4090: "GOTCL", 0x4094: "GOTCH", 0x40A0: "RNBC", 0x40A4: "RUC",
    0x40A8: "RFC", 0x40AC: "ROC", 0x40B0: "RJC", 0x40B4: "MGTPRC",
    0x40B8: "MGTPDC", 0x40BC: "MGTPTC", 0x40C0: "TORL", 0x40C4: "TORH",
    0x40C8: "TOTL", 0x40CC: "TOTH", 0x40D0: "TPR", 0x40D4: "TPT",
    0x40D8: "PTC64", 0x40DC: "PTC127", 0x40E0: "PTC255", 0x40E4: "PTC511",
    0x40E8: "PTC1023", 0x40EC: "PTC1522", 0x40F0: "MPTC", 0x40F4: "BPTC",
    0x40F8: "TSCTC", 0x40FC: "TSCTFC",
}


def register_name(offset):
    """The register at OFFSET (an int) of BAR 0, or its offset in hex."""
    if offset in REGISTERS:
        return REGISTERS[offset]
    if offset in STATISTICS:
        return STATISTICS[offset]
    for base, name, count, stride in ((0x5200, "MTA", 128, 4), (0x5400, "RA", 32, 4),
                                      (0x5600, "VFTA", 128, 4)):
        if base <= offset < base + count * stride:
            return f"{name}[{(offset - base) // stride}]"
    return f"0x{offset:05x}"


def is_statistics(offset):
    return 0x4000 <= offset < 0x4100
