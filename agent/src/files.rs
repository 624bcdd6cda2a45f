//! The agent's identity on disk: `key.pem` (0600), `svid.pem` (certificate chain), `bundle.pem`.
//! Files are replaced atomically so a reader never sees half a certificate.

use anyhow::Context;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub struct Svid {
    pub spiffe_id: String,
    pub chain_pem: String,
    pub bundle_pem: String,
    pub not_after: String,
}

impl Svid {
    pub fn from_reply(reply: &serde_json::Value) -> anyhow::Result<Self> {
        let field = |name: &str| {
            reply[name]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("the control plane's answer lacks `{name}`"))
        };
        Ok(Svid {
            spiffe_id: field("spiffe_id")?,
            chain_pem: field("certificate_chain_pem")?,
            bundle_pem: field("bundle_pem")?,
            not_after: field("not_after")?,
        })
    }
}

fn write_atomically(path: &Path, contents: &str, mode: u32) -> anyhow::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&temporary)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(mode))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

pub fn store(dir: &Path, key_pem: &str, svid: &Svid) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // The key first: a certificate on disk must never point at a key that is not there yet.
    write_atomically(&dir.join("key.pem"), key_pem, 0o600)?;
    write_atomically(&dir.join("svid.pem"), &svid.chain_pem, 0o644)?;
    write_atomically(&dir.join("bundle.pem"), &svid.bundle_pem, 0o644)?;
    Ok(())
}

pub fn read(dir: &Path, name: &str) -> anyhow::Result<String> {
    let path = dir.join(name);
    std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {} (enrol first)", path.display()))
}
