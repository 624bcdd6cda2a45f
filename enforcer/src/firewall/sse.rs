//! An incremental Server-Sent Events parser for upstream streams: bytes in, `data` payloads out.
//! It keeps at most one partial line, and refuses lines longer than a bound instead of growing
//! without limit on a hostile or broken upstream.

/// One parsed event: the `data` lines joined with `\n` (the only field OpenAI streams use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub data: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    LineTooLong,
    NotUtf8,
}

impl std::fmt::Display for SseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SseError::LineTooLong => f.write_str("an event line exceeds the size limit"),
            SseError::NotUtf8 => f.write_str("the stream is not UTF-8"),
        }
    }
}

/// Feeds on arbitrary byte chunks (split anywhere, even inside a UTF-8 character).
#[derive(Debug)]
pub struct SseParser {
    line: Vec<u8>,
    data: Option<String>,
    max_line: usize,
    /// The previous chunk ended with `\r`: a `\n` starting the next one belongs to it.
    after_cr: bool,
}

impl SseParser {
    pub fn new(max_line: usize) -> Self {
        SseParser {
            line: Vec::new(),
            data: None,
            max_line,
            after_cr: false,
        }
    }

    /// Parses `chunk`, appending complete events to `events`.
    pub fn feed(&mut self, chunk: &[u8], events: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let mut rest = chunk;
        if rest.is_empty() {
            return Ok(());
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(stripped) = rest.strip_prefix(b"\n") {
                rest = stripped;
            }
        }
        while let Some(end) = rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.append(&rest[..end])?;
            self.end_line(events)?;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    Some(b'\n') => rest = &rest[end + 2..],
                    Some(_) => rest = &rest[end + 1..],
                    None => {
                        self.after_cr = true;
                        rest = &[];
                    }
                }
            } else {
                rest = &rest[end + 1..];
            }
        }
        self.append(rest)
    }

    /// The stream ended: an event without its closing blank line is still delivered.
    pub fn finish(&mut self, events: &mut Vec<SseEvent>) -> Result<(), SseError> {
        if !self.line.is_empty() {
            self.end_line(events)?;
        }
        if let Some(data) = self.data.take() {
            events.push(SseEvent { data });
        }
        Ok(())
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        if self.line.len() + bytes.len() > self.max_line {
            return Err(SseError::LineTooLong);
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                events.push(SseEvent { data });
            }
            return Ok(());
        }
        let line = String::from_utf8(line).map_err(|_| SseError::NotUtf8)?;
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_str(), ""),
        };
        // Comments (empty field) and fields other than data (event, id, retry) carry nothing
        // OpenAI-compatible clients need.
        if field == "data" {
            match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Result<Vec<String>, SseError> {
        let mut parser = SseParser::new(1 << 20);
        let mut events = Vec::new();
        for chunk in chunks {
            parser.feed(chunk, &mut events)?;
        }
        parser.finish(&mut events)?;
        Ok(events.into_iter().map(|e| e.data).collect())
    }

    #[test]
    fn parses_openai_stream() {
        let stream = b"data: {\"a\":1}\n\ndata: {\"b\":2}\n\n: keep-alive\n\ndata: [DONE]\n\n";
        assert_eq!(
            parse_chunks(&[stream]).expect("parse"),
            vec!["{\"a\":1}", "{\"b\":2}", "[DONE]"]
        );
    }

    #[test]
    fn any_split_gives_the_same_events() {
        let stream =
            "event: x\r\ndata: h\u{e9}llo\r\ndata: w\u{f6}rld\r\n\r\ndata:[DONE]\r\rdata: tail"
                .as_bytes();
        let whole = parse_chunks(&[stream]).expect("parse");
        assert_eq!(whole, vec!["h\u{e9}llo\nw\u{f6}rld", "[DONE]", "tail"]);
        for i in 0..stream.len() {
            for j in i..stream.len() {
                let parts = [&stream[..i], &stream[i..j], &stream[j..]];
                assert_eq!(parse_chunks(&parts).expect("parse"), whole, "split {i} {j}");
            }
        }
    }

    #[test]
    fn long_lines_are_refused() {
        let mut parser = SseParser::new(16);
        let mut events = Vec::new();
        assert_eq!(
            parser.feed(&[b'x'; 17], &mut events),
            Err(SseError::LineTooLong)
        );
    }

    proptest::proptest! {
        /// Fuzzing: arbitrary bytes in arbitrary chunks never panic, and splitting never changes
        /// what is parsed.
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
            cut in 0usize..512,
        ) {
            let cut = cut.min(bytes.len());
            let whole = parse_chunks(&[&bytes]);
            let split = parse_chunks(&[&bytes[..cut], &bytes[cut..]]);
            if let (Ok(whole), Ok(split)) = (&whole, &split) {
                proptest::prop_assert_eq!(whole, split);
            }
        }

        #[test]
        fn structured_streams_split_anywhere(
            events in proptest::collection::vec("[a-z\\u{e9}\\u{1F600} :{}]{0,20}", 0..8),
            cut in 0usize..400,
        ) {
            let stream: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
            let bytes = stream.as_bytes();
            let cut = cut.min(bytes.len());
            let parsed = parse_chunks(&[&bytes[..cut], &bytes[cut..]]).expect("valid stream");
            proptest::prop_assert_eq!(parsed, events);
        }
    }
}
