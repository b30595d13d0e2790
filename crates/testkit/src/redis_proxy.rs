//! A TCP relay in front of the test Redis that a test can cut and restore: an outage of "Redis" as one
//! instance sees it, without stopping the Redis other tests share.

use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

pub struct Proxy {
    port: u16,
    upstream: String,
    /// `true` cuts every relayed connection and stops accepting.
    cut: watch::Sender<bool>,
}

impl Proxy {
    /// Relays a free local port to the Redis `url` names.
    pub async fn start(url: &str) -> Proxy {
        let upstream = host_port(url).to_string();
        let listener = bind(0).await;
        let port = listener.local_addr().expect("bound").port();
        let (cut, _) = watch::channel(false);
        let proxy = Proxy { port, upstream, cut };
        proxy.serve(listener);
        proxy
    }

    /// `url` with its host and port replaced by the relay's.
    pub fn url(&self, url: &str) -> String {
        url.replacen(host_port(url), &format!("127.0.0.1:{}", self.port), 1)
    }

    /// Cuts every connection and refuses new ones, as a Redis that died would.
    pub async fn stop(&mut self) {
        self.cut.send_replace(true);
        // Let the relay tasks see it and close their sockets (and the listener its port).
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    /// Accepts again on the same port, as a Redis that came back would.
    pub async fn restart(&mut self) {
        self.cut = watch::channel(false).0;
        let listener = bind(self.port).await;
        self.serve(listener);
    }

    fn serve(&self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let mut cut = self.cut.subscribe();
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    _ = cut.wait_for(|c| *c) => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((mut client, _)) = accepted else { continue };
                let upstream = upstream.clone();
                let mut cut = cut.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else { return };
                    tokio::select! {
                        _ = cut.wait_for(|c| *c) => {}
                        _ = copy_bidirectional(&mut client, &mut server) => {}
                    }
                });
            }
        });
    }
}

async fn bind(port: u16) -> TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    // The port was just ours: take it back at once.
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket.bind(([127, 0, 0, 1], port).into()).expect("bind the relay's port");
    socket.listen(64).expect("listen")
}

/// `host:port` of a `redis://[user:password@]host:port[/db]` URL.
fn host_port(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}
