//! "Step 2 of 5" and a progress bar.

use yew::prelude::*;

use crate::i18n::Words;
use crate::view::ProgressView;

/// What [`progress`] shows.
pub struct ProgressProps {
    /// Where the customer stands.
    pub progress: ProgressView,
    /// The widget's words.
    pub words: &'static Words,
}

/// The progress line. The bar is decoration; the text says the same to screen readers.
pub fn progress(props: &ProgressProps) -> Html {
    let ProgressView { position, total } = props.progress;
    html! {
        <div class="progress">
            <p class="progress-text">{ props.words.step_of(position, total) }</p>
            <progress
                class="progress-bar"
                max={total.to_string()}
                value={position.to_string()}
                aria-hidden="true"
            />
        </div>
    }
}
