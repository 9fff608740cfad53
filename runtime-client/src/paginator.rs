//! Model-independent pagination: turn "fetch one page given a token" into a stream of pages or
//! of items.
//!
//! ```no_run
//! # async fn example() {
//! use aws_json_client::Paginator;
//!
//! // A service that returns three pages of numbers.
//! let paginator = Paginator::new(|token: Option<String>| async move {
//!     let page: u32 = token.as_deref().map_or(0, |t| t.parse().unwrap_or(0));
//!     let items = vec![page * 10, page * 10 + 1];
//!     let next = (page < 2).then(|| (page + 1).to_string());
//!     Ok::<_, std::io::Error>((items, next))
//! });
//! let items: Vec<u32> = paginator.items(|page| page).try_collect_all().await.unwrap();
//! # }
//! ```

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, StreamExt, TryStreamExt};
use futures_util::Stream;

/// Sends the pages of a paginated operation one after another.
///
/// `fetch` sends one request for the page at a token (`None` for the first page) and returns
/// the page with the token of the next one. Pagination stops after a page whose next token is
/// absent or empty, or a token that was already sent (a service that repeats a token would
/// otherwise loop forever), or after the first error, or after [`max_pages`](Self::max_pages).
#[derive(Debug)]
pub struct Paginator<F> {
    fetch: F,
    starting_token: Option<String>,
    max_pages: Option<usize>,
}

impl<F, Fut, P, E> Paginator<F>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(P, Option<String>), E>>,
{
    /// A paginator that fetches pages with `fetch`.
    pub fn new(fetch: F) -> Self {
        Self {
            fetch,
            starting_token: None,
            max_pages: None,
        }
    }

    /// Starts at this token instead of the first page (e.g. to resume).
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into()).filter(|t: &String| !t.is_empty());
        self
    }

    /// Stops after at most `max_pages` pages.
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = Some(max_pages);
        self
    }

    /// The pages, in order; an error ends the stream after it is yielded.
    pub fn pages(self) -> PageStream<impl Stream<Item = Result<P, E>>> {
        struct State<F> {
            fetch: F,
            token: Option<String>,
            seen: HashSet<String>,
            remaining: Option<usize>,
            done: bool,
        }
        let mut seen = HashSet::new();
        if let Some(token) = &self.starting_token {
            seen.insert(token.clone());
        }
        let state = State {
            fetch: self.fetch,
            token: self.starting_token,
            seen,
            remaining: self.max_pages,
            done: false,
        };
        let stream = stream::unfold(state, |mut state| async move {
            if state.done || state.remaining == Some(0) {
                return None;
            }
            if let Some(remaining) = &mut state.remaining {
                *remaining -= 1;
            }
            match (state.fetch)(state.token.take()).await {
                Ok((page, next)) => {
                    match next.filter(|token| !token.is_empty()) {
                        Some(token) if state.seen.insert(token.clone()) => {
                            state.token = Some(token);
                        }
                        Some(token) => {
                            tracing::debug!(%token, "the service repeated a pagination token; stopping");
                            state.done = true;
                        }
                        None => state.done = true,
                    }
                    Some((Ok(page), state))
                }
                Err(error) => {
                    state.done = true;
                    Some((Err(error), state))
                }
            }
        });
        PageStream {
            inner: Box::pin(stream),
        }
    }

    /// The items of every page, in order: `extract` lists the items of one page.
    pub fn items<I, It>(
        self,
        mut extract: impl FnMut(P) -> It,
    ) -> PageStream<impl Stream<Item = Result<I, E>>>
    where
        It: IntoIterator<Item = I>,
    {
        let pages = self.pages().inner;
        let stream = pages
            .map_ok(move |page| stream::iter(extract(page).into_iter().map(Ok)))
            .try_flatten();
        PageStream {
            inner: Box::pin(stream),
        }
    }
}

/// A stream of pages or items from a [`Paginator`].
///
/// It implements [`Stream`]; [`next`](Self::next) and [`try_collect_all`](Self::try_collect_all)
/// save importing a stream extension trait.
pub struct PageStream<S> {
    inner: std::pin::Pin<Box<S>>,
}

impl<S> std::fmt::Debug for PageStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageStream")
    }
}

impl<S, T, E> PageStream<S>
where
    S: Stream<Item = Result<T, E>>,
{
    /// The next page or item; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        self.inner.next().await
    }

    /// Every remaining page or item, or the first error.
    pub async fn try_collect_all(self) -> Result<Vec<T>, E> {
        self.inner.try_collect().await
    }
}

impl<S: Stream> Stream for PageStream<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}
