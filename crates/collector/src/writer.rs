//! Group commit: posts wait in a channel; a writer task takes every post waiting (up to a
//! batch limit), commits them in one transaction and only then answers each. One fsync
//! acknowledges many responses, which is what makes durable writes fast.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::store::{NewResponse, SaveOutcome, Store, StoreError, StoreResult};

/// The largest number of responses committed in one transaction.
pub const MAX_BATCH: usize = 512;

/// How many posts may wait for a writer before senders wait too (back-pressure).
const QUEUE: usize = 8192;

type Job = (NewResponse, oneshot::Sender<StoreResult<SaveOutcome>>);

/// The sending side of the writer tasks; cheap to clone.
#[derive(Debug, Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// The running writer tasks; [`WriterTasks::join`] waits until every queued post is written.
#[derive(Debug)]
pub struct WriterTasks {
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl WriterTasks {
    /// Waits for the writers to finish. They finish once every [`Writer`] is dropped and the
    /// queue is empty.
    pub async fn join(self) {
        for handle in self.handles {
            if let Err(err) = handle.await {
                tracing::error!(error = %err, "a response writer task failed");
            }
        }
    }
}

impl Writer {
    /// Starts [`Store::writers`] writer tasks on `store`.
    #[must_use]
    pub fn spawn(store: Arc<dyn Store>) -> (Self, WriterTasks) {
        let (jobs, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        let handles = (0..store.writers().max(1))
            .map(|_| tokio::spawn(run(Arc::clone(&store), Arc::clone(&receiver))))
            .collect();
        (Self { jobs }, WriterTasks { handles })
    }

    /// Saves one response durably; returns once its transaction is committed.
    ///
    /// # Errors
    /// The store's error, or [`StoreError::WriterStopped`] during shutdown.
    pub async fn save(&self, response: NewResponse) -> StoreResult<SaveOutcome> {
        let (answer, outcome) = oneshot::channel();
        self.jobs
            .send((response, answer))
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        outcome.await.map_err(|_| StoreError::WriterStopped)?
    }
}

async fn run(store: Arc<dyn Store>, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            // Only the writer holding the lock takes jobs; the others write meanwhile.
            let mut receiver = receiver.lock().await;
            if receiver.recv_many(&mut jobs, MAX_BATCH).await == 0 {
                return;
            }
        }
        let (batch, answers): (Vec<NewResponse>, Vec<_>) = jobs.drain(..).unzip();
        match store.save_batch(&batch).await {
            Ok(outcomes) => {
                for (answer, outcome) in answers.into_iter().zip(outcomes) {
                    // The client may have gone; the row is committed either way.
                    let _ = answer.send(Ok(outcome));
                }
            }
            Err(err) if batch.len() > 1 => {
                // One bad item must not fail the others: write each on its own.
                tracing::warn!(error = %err, size = batch.len(), "batch commit failed; retrying one by one");
                for (item, answer) in batch.into_iter().zip(answers) {
                    let result = store
                        .save_batch(std::slice::from_ref(&item))
                        .await
                        .map(|outcomes| outcomes.first().copied().unwrap_or(SaveOutcome::Conflict));
                    let _ = answer.send(result);
                }
            }
            Err(err) => {
                // A batch of one: its only post gets the error.
                if let Some(answer) = answers.into_iter().next() {
                    let _ = answer.send(Err(err));
                }
            }
        }
    }
}
