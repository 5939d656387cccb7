//! Frequency capping and sampling, per survey and browser.
//!
//! The rules ([`Rules`]): show a survey at most once per order id, not again within a number
//! of days, and only to a percentage of browsers. What a browser has seen is a [`Record`]
//! kept in `localStorage` under `rapport:<survey id>`. The sampling draw is kept too, so a
//! reload does not roll the dice again (until the rate changes). When storage is unavailable
//! (private mode, blocked by the browser, full), nothing is capped and the draw is made anew.

use rapport_survey::map::SmallMap;

use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;
/// How many order ids a record remembers (the most recent).
const MAX_ORDERS: usize = 50;

/// The capping and sampling rules of one display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// At most once per order id.
    pub once_per_order: bool,
    /// Not again within this many days after it was shown.
    pub days: f64,
    /// Percentage (0–100) of browsers that see it.
    pub sampling: f64,
}

/// What this browser has seen of one survey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Order ids the survey was shown for, with when (milliseconds since 1970).
    #[serde(default)]
    pub orders: SmallMap<String, f64>,
    /// When the survey was last shown.
    #[serde(default)]
    pub last_shown: Option<f64>,
    /// The sampling draw.
    #[serde(default)]
    pub sample: Option<Sample>,
    /// Order ids for which the customer closed the survey without finishing it: an
    /// unfinished run is continued on the next page of the same order, but not one the
    /// customer dismissed.
    #[serde(default)]
    pub dismissed: SmallMap<String, f64>,
}

/// A sampling draw: at which rate, and whether this browser is in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The rate the draw was made for.
    pub rate: f64,
    /// Whether this browser is in the sample.
    pub chosen: bool,
}

/// Whether to show the survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Show it.
    Show,
    /// This browser is not in the sample.
    NotSampled,
    /// It was already shown for this order.
    ShownForOrder,
    /// It was shown less than `days` ago.
    ShownRecently,
}

impl Verdict {
    /// Why the survey is not shown, for the console; `None` for [`Verdict::Show`].
    #[must_use]
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Self::Show => None,
            Self::NotSampled => Some("this browser is not in the sample (`sampling`)"),
            Self::ShownForOrder => {
                Some("it was already shown for this order (`frequency.once_per_order`)")
            }
            Self::ShownRecently => Some("it was shown recently (`frequency.days`)"),
        }
    }
}

impl Record {
    /// Decides whether to show the survey for `order` at `now`; `draw` gives a random
    /// number in [0, 1) when a new sampling draw is needed (kept in the record).
    pub fn decide(
        &mut self,
        rules: Rules,
        order: Option<&str>,
        now: f64,
        draw: impl FnOnce() -> f64,
    ) -> Verdict {
        let sample = match self.sample {
            Some(sample) if sample.rate == rules.sampling => sample,
            _ => {
                let sample = Sample {
                    rate: rules.sampling,
                    chosen: draw() * 100.0 < rules.sampling,
                };
                self.sample = Some(sample);
                sample
            }
        };
        if !sample.chosen {
            return Verdict::NotSampled;
        }
        if rules.once_per_order {
            if let Some(order) = order.filter(|o| !o.is_empty()) {
                if self.orders.contains_key(order) {
                    return Verdict::ShownForOrder;
                }
            }
        }
        if rules.days > 0.0 {
            if let Some(last) = self.last_shown {
                if now - last < rules.days * DAY_MS && now >= last {
                    return Verdict::ShownRecently;
                }
            }
        }
        Verdict::Show
    }

    /// Notes that the survey was shown for `order` at `now`.
    pub fn shown(&mut self, order: Option<&str>, now: f64) {
        self.last_shown = Some(now);
        if let Some(order) = order.filter(|o| !o.is_empty()) {
            remember(&mut self.orders, order, now);
        }
    }

    /// Notes that the customer closed the survey for `order` without finishing it.
    pub fn dismissed(&mut self, order: &str, now: f64) {
        if !order.is_empty() {
            remember(&mut self.dismissed, order, now);
        }
    }
}

/// Adds `order` to `orders`, keeping the [`MAX_ORDERS`] most recent.
fn remember(orders: &mut SmallMap<String, f64>, order: &str, now: f64) {
    orders.insert(order.to_owned(), now);
    while orders.len() > MAX_ORDERS {
        let oldest = orders
            .iter()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(id, _)| id.clone());
        match oldest {
            Some(id) => orders.remove(&id),
            None => break,
        };
    }
}

/// The `localStorage` key of a survey's record.
#[must_use]
pub fn key(survey_id: &str) -> String {
    format!("rapport:{survey_id}")
}

/// The page's `localStorage`, if it can be used at all.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the survey's record; `None` when storage is unavailable. A missing or unreadable
/// record is an empty one.
#[must_use]
pub fn load(survey_id: &str) -> Option<Record> {
    let item = storage()?.get_item(&key(survey_id)).ok()?;
    Some(
        // Through a `Value`, as everything else the widget reads (`crate::json`): reading
        // from the text directly would add a copy of serde_json's parser for this one type.
        item.and_then(|json| crate::json::parse(&json).ok())
            .and_then(|value| serde_json::from_value(value).ok())
            .unwrap_or_default(),
    )
}

/// Stores the survey's record; a failure (storage full or blocked) only means no capping.
pub fn save(survey_id: &str, record: &Record) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(record)) {
        let _ = storage.set_item(&key(survey_id), &json);
    }
}

/// Decides whether to show `survey_id` now, and keeps the sampling draw.
#[must_use]
pub fn check(survey_id: &str, rules: Rules, order: Option<&str>) -> Verdict {
    let draw = js_sys::Math::random;
    match load(survey_id) {
        Some(mut record) => {
            let before = record.clone();
            let verdict = record.decide(rules, order, js_sys::Date::now(), draw);
            if record != before {
                save(survey_id, &record);
            }
            verdict
        }
        // No storage: no capping; the draw is made for this page view only.
        None => Record::default().decide(rules, order, js_sys::Date::now(), draw),
    }
}

/// Notes that `survey_id` was shown now for `order`.
pub fn note_shown(survey_id: &str, order: Option<&str>) {
    if let Some(mut record) = load(survey_id) {
        record.shown(order, js_sys::Date::now());
        save(survey_id, &record);
    }
}

/// Notes that the customer closed `survey_id` for `order` without finishing it.
pub fn note_dismissed(survey_id: &str, order: &str) {
    if let Some(mut record) = load(survey_id) {
        record.dismissed(order, js_sys::Date::now());
        save(survey_id, &record);
    }
}

/// Whether the customer closed `survey_id` for `order` without finishing it.
#[must_use]
pub fn was_dismissed(survey_id: &str, order: &str) -> bool {
    load(survey_id).is_some_and(|record| record.dismissed.contains_key(order))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Rules = Rules {
        once_per_order: true,
        days: 0.0,
        sampling: 100.0,
    };

    #[test]
    fn once_per_order() {
        let mut record = Record::default();
        assert_eq!(record.decide(ALL, Some("A-1"), 0.0, || 0.5), Verdict::Show);
        record.shown(Some("A-1"), 0.0);
        assert_eq!(
            record.decide(ALL, Some("A-1"), 1.0, || 0.5),
            Verdict::ShownForOrder
        );
        assert_eq!(record.decide(ALL, Some("A-2"), 1.0, || 0.5), Verdict::Show);
        assert_eq!(record.decide(ALL, None, 1.0, || 0.5), Verdict::Show);
        let uncapped = Rules {
            once_per_order: false,
            ..ALL
        };
        assert_eq!(
            record.decide(uncapped, Some("A-1"), 1.0, || 0.5),
            Verdict::Show
        );
    }

    #[test]
    fn not_again_within_days() {
        let rules = Rules { days: 30.0, ..ALL };
        let mut record = Record::default();
        record.shown(Some("A-1"), 1000.0);
        let day = DAY_MS;
        assert_eq!(
            record.decide(rules, Some("A-2"), 1000.0 + 29.0 * day, || 0.5),
            Verdict::ShownRecently
        );
        assert_eq!(
            record.decide(rules, Some("A-2"), 1000.0 + 30.0 * day, || 0.5),
            Verdict::Show
        );
        // A clock set back does not lock the survey out for ever.
        assert_eq!(
            record.decide(rules, Some("A-2"), 0.0, || 0.5),
            Verdict::Show
        );
    }

    #[test]
    fn the_sampling_draw_is_kept_until_the_rate_changes() {
        let quarter = Rules {
            sampling: 25.0,
            ..ALL
        };
        let mut record = Record::default();
        assert_eq!(
            record.decide(quarter, None, 0.0, || 0.3),
            Verdict::NotSampled
        );
        // The same rate: no new draw, even if it would be lucky now.
        assert_eq!(
            record.decide(quarter, None, 0.0, || 0.0),
            Verdict::NotSampled
        );
        let half = Rules {
            sampling: 50.0,
            ..ALL
        };
        assert_eq!(record.decide(half, None, 0.0, || 0.3), Verdict::Show);
        assert_eq!(
            record.sample,
            Some(Sample {
                rate: 50.0,
                chosen: true
            })
        );
        let none = Rules {
            sampling: 0.0,
            ..ALL
        };
        assert_eq!(
            Record::default().decide(none, None, 0.0, || 0.0),
            Verdict::NotSampled
        );
        let every = Rules {
            sampling: 100.0,
            ..ALL
        };
        assert_eq!(
            Record::default().decide(every, None, 0.0, || 0.999_999),
            Verdict::Show
        );
    }

    #[test]
    fn remembers_a_bounded_number_of_orders() {
        let mut record = Record::default();
        for i in 0..(MAX_ORDERS + 10) {
            record.shown(Some(&format!("A-{i}")), i as f64);
        }
        assert_eq!(record.orders.len(), MAX_ORDERS);
        assert!(!record.orders.contains_key("A-0"));
        record.dismissed("A-3", 1.0);
        assert!(record.dismissed.contains_key("A-3"));
        assert!(record.orders.contains_key(&format!("A-{}", MAX_ORDERS + 9)));
    }

    #[test]
    fn the_record_round_trips_and_tolerates_garbage() {
        let mut record = Record::default();
        record.shown(Some("A-1"), 5.0);
        let json = serde_json::to_string(&record).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Record>(&json).ok(), Some(record));
        assert!(serde_json::from_str::<Record>("[1,2]").is_err());
        assert_eq!(key("post-purchase"), "rapport:post-purchase");
    }
}
