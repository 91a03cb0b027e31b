//! How much CPU time the hypervisor took away while we measured (Linux's `steal` column of
//! `/proc/stat`): on a shared virtual machine a run whose cores were partly taken away is
//! slower for reasons that are not ours, and two threads suffer more than one.

/// The machine-wide CPU time counters of `/proc/stat`'s first line, in clock ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpuTimes {
    /// Every column added up (user, nice, system, idle, iowait, irq, softirq, steal).
    total: u64,
    /// Time a virtual CPU was ready to run but the hypervisor ran something else.
    steal: u64,
}

impl CpuTimes {
    /// The counters now, or `None` where `/proc/stat` does not exist or reads oddly.
    pub fn now() -> Option<Self> {
        Self::parse(&std::fs::read_to_string("/proc/stat").ok()?)
    }

    /// Reads the aggregate `cpu` line of a `/proc/stat` text.
    fn parse(stat: &str) -> Option<Self> {
        let line = stat.lines().find(|l| l.starts_with("cpu "))?;
        let fields: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .take(8)
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        let steal = *fields.get(7)?;
        Some(Self {
            total: fields.iter().sum(),
            steal,
        })
    }

    /// The share of all CPU time between `self` and the later `after` that was stolen, in
    /// percent; `None` if no time passed.
    pub fn steal_percent_until(self, after: Self) -> Option<f64> {
        let total = after.total.checked_sub(self.total)?;
        let steal = after.steal.checked_sub(self.steal)?;
        (total > 0).then(|| 100.0 * steal as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_column_as_a_share_of_all_of_them() {
        let before = CpuTimes::parse("cpu  100 0 50 800 0 0 0 50 0 0\ncpu0 1 2 3\n").unwrap();
        let after = CpuTimes::parse("cpu  200 0 50 850 0 0 0 100 7 0\n").unwrap();
        assert_eq!(before.steal_percent_until(after), Some(25.0));
        assert_eq!(before.steal_percent_until(before), None);
        assert_eq!(CpuTimes::parse("cpu0 1 2 3 4 5 6 7 8\n"), None);
        assert_eq!(CpuTimes::parse("cpu  1 2 3\n"), None);
    }
}
