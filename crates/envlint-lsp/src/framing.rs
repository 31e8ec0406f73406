//! The stdio transport: `Content-Length` framing with a size budget, and a JSON-RPC parse
//! error (not the end of the session) for a body that is not a message.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, Message};

/// The byte budget of one incoming message: a longer `Content-Length` ends the session.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What one frame held.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body of the announced length.
    Body(Vec<u8>),
    /// The input ended (between messages or in the middle of one).
    End,
}

/// Reads one frame. A missing or absurd `Content-Length` is an error: the stream cannot
/// be followed past it.
pub fn read_frame(reader: &mut impl BufRead) -> io::Result<Frame> {
    let mut length = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        // Header lines are short: a header longer than the budget cannot be one.
        let read = reader
            .by_ref()
            .take(MAX_MESSAGE_BYTES as u64)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(Frame::End);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        if text.is_empty() {
            if length.is_none() {
                continue;
            }
            break;
        }
        if let Some((name, value)) = text.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = Some(parse_length(value.trim())?);
        }
    }
    let length = length.unwrap_or_default();
    let mut body = Vec::with_capacity(length.min(64 * 1024));
    let got = reader.by_ref().take(length as u64).read_to_end(&mut body)?;
    if got < length {
        return Ok(Frame::End);
    }
    Ok(Frame::Body(body))
}

fn parse_length(value: &str) -> io::Result<usize> {
    let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidData, why);
    let length: u64 = value
        .parse()
        .map_err(|_| invalid(format!("invalid Content-Length `{value}`")))?;
    if length > MAX_MESSAGE_BYTES as u64 {
        return Err(invalid(format!(
            "Content-Length {length} is over the limit of {MAX_MESSAGE_BYTES} bytes"
        )));
    }
    Ok(length as usize)
}

/// A JSON-RPC error response with a null id, as a frame body.
fn error_body(code: i32, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message },
    })
    .to_string()
}

/// The reader and writer threads of a stdio connection.
pub(crate) struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    pub(crate) fn join(self) -> io::Result<()> {
        // A lint left running at `exit` still holds a sender: the writer is not waited for
        // past a moment (everything answered before `exit` was already written).
        crate::worker::join_within(self.writer, Duration::from_millis(500)).unwrap_or(Ok(()))?;
        // The reader stops after `exit`, at the end of input, or at a frame it cannot
        // follow (an absurd length), which it reports here.
        self.reader.join().unwrap_or(Ok(()))
    }
}

/// A connection over stdin and stdout.
pub(crate) fn stdio() -> (Connection, IoThreads) {
    let (to_writer, outgoing) = crossbeam_channel::bounded::<Message>(0);
    let (to_server, incoming) = crossbeam_channel::bounded::<Message>(0);
    let (raw_sender, raw) = crossbeam_channel::unbounded::<String>();
    let writer = std::thread::spawn(move || write_loop(&outgoing, &raw));
    let reader = std::thread::spawn(move || read_loop(&to_server, &raw_sender));
    let connection = Connection {
        sender: to_writer,
        receiver: incoming,
    };
    (connection, IoThreads { reader, writer })
}

fn read_loop(to_server: &Sender<Message>, raw: &Sender<String>) -> io::Result<()> {
    let stdin = io::stdin();
    let mut reader = stdin.lock();
    loop {
        let body = match read_frame(&mut reader)? {
            Frame::End => return Ok(()),
            Frame::Body(body) => body,
        };
        let message = match serde_json::from_slice::<serde_json::Value>(&body) {
            Err(e) => Err(error_body(-32700, &format!("parse error: {e}"))),
            Ok(value) => serde_json::from_value::<Message>(value)
                .map_err(|e| error_body(-32600, &format!("invalid request: {e}"))),
        };
        match message {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to_server.send(message).is_err() || exit {
                    return Ok(());
                }
            }
            Err(error) => {
                if raw.send(error).is_err() {
                    return Ok(());
                }
            }
        }
    }
}

fn write_loop(outgoing: &Receiver<Message>, raw: &Receiver<String>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut raw = raw.clone();
    loop {
        select! {
            recv(outgoing) -> message => match message {
                Ok(message) => message.write(&mut stdout.lock())?,
                Err(_) => return Ok(()),
            },
            recv(raw) -> body => match body {
                Ok(body) => {
                    let mut out = stdout.lock();
                    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                    out.flush()?;
                }
                // The reader is gone: only the server's messages are left to write.
                Err(_) => raw = crossbeam_channel::never(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_absurd_lengths_refused() {
        let mut input: &[u8] =
            b"Content-Length: 2\r\n\r\n{}Content-Length: 999999999999999\r\n\r\n{}";
        assert_eq!(
            read_frame(&mut input).ok(),
            Some(Frame::Body(b"{}".to_vec()))
        );
        assert!(read_frame(&mut input).is_err());
        let mut short: &[u8] = b"Content-Length: 9\r\n\r\n{}";
        assert_eq!(read_frame(&mut short).ok(), Some(Frame::End));
    }
}
