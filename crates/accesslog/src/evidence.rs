//! What the logs say about one URL path, and how two such records merge.

/// How an answer bears on a run of temporary redirects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClass {
    /// 302, 303, 307: a temporary redirect, extends the run (Google reads
    /// these as temporary: "Redirects and Google Search").
    Temporary,
    /// Ends the run: every 2xx, 301 and 308 (permanent redirects), 404 and
    /// 410 (the URL is gone). These are answers about the URL itself.
    Final,
    /// Neither ends nor extends it: 1xx, 300, 304 (not a redirect, RFC 9110
    /// §15.4.5), 305/306, other 4xx (401/403/400/429 etc. depend on the
    /// client — a WAF blocking a scanner says nothing about the URL), 5xx
    /// (a passing failure).
    Neutral,
}

impl StatusClass {
    /// The class of a status code.
    pub fn of(status: u16) -> Self {
        if model::is_temporary_status(status) {
            Self::Temporary
        } else if model::is_permanent_status(status) || matches!(status, 200..=299 | 404 | 410) {
            Self::Final
        } else {
            Self::Neutral
        }
    }
}

/// A redirect answer (301, 302, 303, 307, 308): what makes a URL one that
/// "answered 3xx" in the logs. 300, 304, 305 and 306 are not redirects.
pub fn is_redirect(status: u16) -> bool {
    // A log line rarely says whether a 300 carried a Location: it is not
    // counted.
    model::is_redirect_status(status, false)
}

/// The current run of temporary answers of a URL: the temporary answers
/// logged after its latest final answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporaryRun {
    /// The first temporary answer of the run (UTC seconds).
    pub first: i64,
    /// The latest temporary answer of the run.
    pub last: i64,
    /// The status of the latest temporary answer.
    pub status: u16,
    /// The Location of the latest temporary answer, when the log recorded
    /// one; `None` means "target not recorded in the logs".
    pub location: Option<Box<str>>,
    /// `false` when lines out of time order (or two merged records) put a
    /// final answer inside the run: the true start is then between that
    /// final answer and `first`, and `first` is the latest temporary answer
    /// known to follow it (the age is a lower bound).
    pub first_exact: bool,
}

/// How many answers of each status a path got. The first few distinct
/// statuses are held inline: a path's counts are updated on every line, and
/// a separate allocation was a second cache miss per line.
#[derive(Clone, Debug, Default)]
pub struct StatusCounts {
    inline: [(u16, u32); 4],
    more: Vec<(u16, u64)>,
}

impl StatusCounts {
    /// Adds `n` answers of `status`.
    pub fn add(&mut self, status: u16, n: u64) {
        for slot in &mut self.inline {
            if slot.0 == status {
                if let Some(sum) = u32::try_from(n).ok().and_then(|n| slot.1.checked_add(n)) {
                    slot.1 = sum;
                    return;
                }
                break;
            }
            if slot.0 == 0 && n <= u64::from(u32::MAX) {
                *slot = (status, n as u32);
                return;
            }
        }
        match self.more.binary_search_by_key(&status, |&(s, _)| s) {
            Ok(i) => self.more[i].1 += n,
            Err(i) => self.more.insert(i, (status, n)),
        }
    }

    /// How many answers had `status`.
    pub fn get(&self, status: u16) -> u64 {
        self.iter()
            .filter(|&(s, _)| s == status)
            .map(|(_, n)| n)
            .sum()
    }

    /// (status, count) pairs sorted by status, each status once.
    pub fn to_vec(&self) -> Vec<(u16, u64)> {
        let mut v: Vec<(u16, u64)> = Vec::new();
        let mut all: Vec<(u16, u64)> = self.iter().collect();
        all.sort_unstable();
        for (s, n) in all {
            match v.last_mut() {
                Some(last) if last.0 == s => last.1 += n,
                _ => v.push((s, n)),
            }
        }
        v
    }

    fn iter(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.inline
            .iter()
            .filter(|(s, _)| *s != 0)
            .map(|&(s, n)| (s, u64::from(n)))
            .chain(self.more.iter().copied())
    }
}

impl PartialEq for StatusCounts {
    fn eq(&self, other: &Self) -> bool {
        self.to_vec() == other.to_vec()
    }
}

impl Eq for StatusCounts {}

/// Requests on one UTC day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayCount {
    /// Days since 1970-01-01 (UTC).
    pub day: i32,
    /// Requests from verified Googlebot.
    pub verified: u32,
    /// Requests whose User-Agent says Googlebot from outside Google's ranges.
    pub unverified: u32,
}

/// What the logs say about one URL path (path and query as requested).
// `repr(C)` keeps the fields in this order, so that `touch` reaches every
// cache line `record` writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PathEvidence {
    /// Requests logged, all agents.
    pub requests: u64,
    /// Requests logged at or after the reader's `since` bound.
    pub requests_since: u64,
    /// How many answers of each status.
    pub statuses: StatusCounts,
    /// The latest answer: (time, status).
    pub last: Option<(i64, u16)>,
    /// The latest final answer (see [`StatusClass::Final`]).
    pub last_final: Option<i64>,
    /// The latest redirect answer (see [`is_redirect`]).
    pub last_redirect: Option<i64>,
    /// The current run of temporary answers, if the URL's latest non-neutral
    /// answer was temporary.
    pub run: Option<TemporaryRun>,
    /// Googlebot requests per day (only days with some), sorted by day;
    /// days before the reader's `since` bound are not kept.
    pub googlebot_days: Vec<DayCount>,
    /// The latest verified Googlebot request, whatever its date.
    pub googlebot_last_seen: Option<i64>,
}

/// Keeps what of `run` follows a final answer at `end`. `same_second_ends`:
/// a temporary answer in the same second as the final one is before it
/// (true when reading lines in file order, where the final one came later).
fn after_final(
    run: Option<TemporaryRun>,
    end: Option<i64>,
    same_second_ends: bool,
) -> Option<TemporaryRun> {
    let mut run = run?;
    let Some(end) = end else {
        return Some(run);
    };
    if run.last < end || (same_second_ends && run.last == end) {
        return None;
    }
    if run.first < end || (same_second_ends && run.first == end) {
        run.first = run.last;
        run.first_exact = false;
    }
    Some(run)
}

fn union(a: Option<TemporaryRun>, b: Option<TemporaryRun>) -> Option<TemporaryRun> {
    match (a, b) {
        (None, r) | (r, None) => r,
        (Some(a), Some(b)) => {
            let (early, late) = if a.last <= b.last { (a, b) } else { (b, a) };
            let first_exact = if early.first < late.first {
                early.first_exact
            } else if late.first < early.first {
                late.first_exact
            } else {
                early.first_exact && late.first_exact
            };
            Some(TemporaryRun {
                first: early.first.min(late.first),
                first_exact,
                ..late
            })
        }
    }
}

impl PathEvidence {
    /// Reads one field on each cache line [`Self::record`] may write, so that
    /// a loop of touches over many paths overlaps their cache misses before
    /// the updates run.
    pub(crate) fn touch(&self) -> u64 {
        self.requests
            ^ self.last_final.unwrap_or_default() as u64
            ^ u64::from(self.statuses.inline[0].1)
            ^ self.run.as_ref().map_or(0, |r| r.last as u64)
            ^ self.googlebot_days.len() as u64
            ^ self.googlebot_last_seen.unwrap_or_default() as u64
    }

    /// Records one answer.
    pub fn record(&mut self, time: i64, status: u16, location: Option<&str>, since: Option<i64>) {
        self.requests += 1;
        if since.is_none_or(|s| time >= s) {
            self.requests_since += 1;
        }
        self.statuses.add(status, 1);
        if self.last.is_none_or(|(t, _)| time >= t) {
            self.last = Some((time, status));
        }
        if is_redirect(status) {
            self.last_redirect = self.last_redirect.max(Some(time));
        }
        match StatusClass::of(status) {
            StatusClass::Final => {
                if self.last_final.is_none_or(|f| time > f) {
                    self.last_final = Some(time);
                    self.run = after_final(self.run.take(), self.last_final, true);
                }
            }
            StatusClass::Temporary => {
                // A temporary answer logged in the same second as the final
                // one is taken to follow it (logs are written in order).
                if self.last_final.is_none_or(|f| time >= f) {
                    let single = TemporaryRun {
                        first: time,
                        last: time,
                        status,
                        location: location.map(Box::from),
                        first_exact: true,
                    };
                    self.run = union(self.run.take(), Some(single));
                }
            }
            StatusClass::Neutral => {}
        }
    }

    /// Records a Googlebot request (verified or not) at `time`.
    pub fn googlebot(&mut self, time: i64, verified: bool, since: Option<i64>) {
        if verified {
            self.googlebot_last_seen = self.googlebot_last_seen.max(Some(time));
        }
        if since.is_some_and(|s| time < s) {
            return;
        }
        let day = i32::try_from(time.div_euclid(86_400)).unwrap_or(i32::MAX);
        let i = match self.googlebot_days.last() {
            // Logs are mostly in time order: the common case is the last day.
            Some(d) if d.day == day => self.googlebot_days.len() - 1,
            _ => match self.googlebot_days.binary_search_by_key(&day, |d| d.day) {
                Ok(i) => i,
                Err(i) => {
                    self.googlebot_days.insert(
                        i,
                        DayCount {
                            day,
                            ..DayCount::default()
                        },
                    );
                    i
                }
            },
        };
        let d = &mut self.googlebot_days[i];
        if verified {
            d.verified += 1;
        } else {
            d.unverified += 1;
        }
    }

    /// It answered a redirect (see [`is_redirect`]) at or after `since`
    /// (UTC seconds): what makes a URL one that "answered 3xx in the logs"
    /// within `--log-days`.
    pub fn redirected_since(&self, since: i64) -> bool {
        self.last_redirect.is_some_and(|t| t >= since)
    }

    /// Verified and unverified Googlebot requests on days at or after
    /// `since_day` (days since 1970-01-01).
    pub fn googlebot_requests(&self, since_day: i32) -> (u64, u64) {
        self.googlebot_days
            .iter()
            .filter(|d| d.day >= since_day)
            .fold((0, 0), |(v, u), d| {
                (v + u64::from(d.verified), u + u64::from(d.unverified))
            })
    }

    /// Merges the evidence of *other content* (history's and this audit's:
    /// fingerprints guarantee no line is in both). Counts add; latest times
    /// take the maximum; runs merge by time, as if every line had been read
    /// in one pass — except that a final answer of one side falling inside
    /// a run of the other makes that run's start inexact (see
    /// [`TemporaryRun::first_exact`]). Merging is commutative and
    /// associative on everything but that case.
    pub fn merge(&mut self, other: &Self) {
        self.requests += other.requests;
        self.requests_since += other.requests_since;
        for (status, n) in other.statuses.iter() {
            self.statuses.add(status, n);
        }
        self.last = match (self.last, other.last) {
            (Some(a), Some(b)) => Some(if b.0 >= a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        self.last_redirect = self.last_redirect.max(other.last_redirect);
        self.last_final = self.last_final.max(other.last_final);
        let mine = after_final(self.run.take(), self.last_final, false);
        let theirs = after_final(other.run.clone(), self.last_final, false);
        self.run = union(mine, theirs);
        for d in &other.googlebot_days {
            match self.googlebot_days.binary_search_by_key(&d.day, |x| x.day) {
                Ok(i) => {
                    self.googlebot_days[i].verified += d.verified;
                    self.googlebot_days[i].unverified += d.unverified;
                }
                Err(i) => self.googlebot_days.insert(i, *d),
            }
        }
        self.googlebot_last_seen = self.googlebot_last_seen.max(other.googlebot_last_seen);
    }
}
