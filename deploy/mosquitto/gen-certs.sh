#!/bin/sh
# A private CA and a broker certificate for a lab: ./gen-certs.sh broker.example.local 10.0.0.5
set -eu
NAME=${1:?broker DNS name}; IP=${2:?broker IP}
openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=watchfloor-mqtt-ca"
openssl req -newkey rsa:3072 -nodes -keyout server.key -out server.csr -subj "/CN=$NAME"
printf 'subjectAltName=DNS:%s,IP:%s\n' "$NAME" "$IP" > san.cnf
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 825 -extfile san.cnf
chmod 600 ca.key server.key
echo "ca.pem → edges and hubs (edge.yaml broker.caFile); server.pem/server.key → mosquitto.conf"
