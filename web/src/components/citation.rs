use std::rc::Rc;

use yew::prelude::*;

use crate::view::CitationView;

/// Props of [`Citation`].
#[derive(Properties, PartialEq, Clone)]
pub struct CitationProps {
    /// The article and its verbatim quote.
    pub citation: Rc<CitationView>,
    /// DOM id, referenced by the toggle's `aria-controls`.
    pub id: AttrValue,
    /// The regulation's title, so the citation names its source in full.
    #[prop_or_default]
    pub regulation: AttrValue,
}

/// The legal source of an item: article and verbatim quote.
#[function_component]
pub fn Citation(props: &CitationProps) -> Html {
    html! {
        <blockquote class="cite" id={props.id.clone()} role="note" aria-label="依据">
            <strong>
                if !props.regulation.is_empty() { { format!("《{}》", props.regulation) } }
                { props.citation.article.clone() }
            </strong>
            <p>{ props.citation.quote.clone() }</p>
        </blockquote>
    }
}
